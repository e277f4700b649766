"""Built-in reporters: terminal, json, junit, sarif and markdown (more formats register
through the same hook), and the GitHub Actions annotations ``cxprobe audit`` prints."""
