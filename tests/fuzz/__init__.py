"""Schemathesis against real gunicorn: its hooks (the upload's file strategies) and its config."""
