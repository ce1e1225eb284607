"""The use cases: each workflow composed once, for the command line and the window."""
