"""The demo province of `make run`: real regions, every app filled with a little content."""
