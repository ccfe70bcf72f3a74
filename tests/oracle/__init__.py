"""The real docker CLI against a fake daemon: the oracle the command grader is tested against."""
