"""The app's tests use the root conftest's `app_model` (a tiny model trained on one long line)."""
