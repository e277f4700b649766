"""Built-in reporters: terminal and json (more formats register through the same hook)."""
