"""The Qt desktop interface. Only this package (and ``app.py``) imports Qt."""
