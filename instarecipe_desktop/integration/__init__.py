"""Desktop integration without Qt: menu entry and icons, start at login.

- ``desktop_entry``: ``--install-desktop-entry`` / ``--uninstall-desktop-entry`` (Linux, XDG).
- ``autostart``: ``set_autostart`` / ``is_autostart_enabled`` (XDG autostart, Windows Run key,
  macOS LaunchAgent), behind the ``START_AT_LOGIN`` setting.
"""
