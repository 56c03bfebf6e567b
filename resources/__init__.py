"""Data files shipped inside the package as ``instarecipe_desktop.resources``.

Read them with ``importlib.resources.files("instarecipe_desktop.resources")``.
"""
