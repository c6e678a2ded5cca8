"""The unified template standard: one layout, components and static assets for every site."""
