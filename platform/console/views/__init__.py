"""The console's pages, one module per concern; each view is a thin wrapper around reads and actions."""
