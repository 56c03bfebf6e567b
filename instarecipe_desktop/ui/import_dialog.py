"""The dialog of an import: what the export holds (collections with their counts and a few
authors, liked posts apart and off), which of it to queue, and how long that takes at the
current pacing."""

from __future__ import annotations

from collections.abc import Callable

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from instarecipe_desktop.core.bulk_import import ImportPlan, post_key
from instarecipe_desktop.core.import_progress import estimate_text
from instarecipe_desktop.core.links import PostLink

ALL_ROLE = Qt.ItemDataRole.UserRole + 1  # marks the "all saved posts" row
LIKED_ROLE = Qt.ItemDataRole.UserRole + 2  # marks the "liked posts" row


class ImportDialog(QDialog):
    def __init__(
        self,
        plan: ImportPlan,
        source_name: str,
        interval_s: float,
        is_queued: Callable[[str], bool],
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("importDialog")
        self.setWindowTitle(self.tr("Import saved posts"))
        self.plan = plan
        self.interval_s = interval_s
        self._all_keys = {post_key(link) for link in plan.links}
        self._liked_keys = {post_key(link) for link in plan.liked}
        self._queued = {key for key in self._all_keys | self._liked_keys if is_queued(key)}
        self._updating = False

        layout = QVBoxLayout(self)
        collections = plan.collections
        heading = self.tr("%1 holds %2.").replace("%1", source_name)
        posts = len(plan.links)
        what = self.tr("1 post") if posts == 1 else self.tr("%n posts").replace("%n", str(posts))
        if collections:
            what += self.tr(" in %n collections").replace("%n", str(len(collections)))
        self.heading = QLabel(heading.replace("%2", what))
        self.heading.setWordWrap(True)
        layout.addWidget(self.heading)

        self.list = QListWidget()
        self.list.setObjectName("importCollections")
        every = QListWidgetItem(self.tr("All saved posts (%n)").replace("%n", str(posts)))
        every.setData(ALL_ROLE, True)
        every.setFlags(every.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        every.setCheckState(Qt.CheckState.Checked)
        self.list.addItem(every)
        for summary in collections:
            label = f"{summary.name} — " + (
                self.tr("1 post") if summary.count == 1 else self.tr("%n posts")
            ).replace("%n", str(summary.count))
            if summary.authors:
                label += f" ({', '.join(summary.authors)}…)"
            row = QListWidgetItem(label)
            row.setData(Qt.ItemDataRole.UserRole, summary.name)
            row.setFlags(row.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            row.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(row)
        if plan.liked:
            liked = QListWidgetItem(
                self.tr("Liked posts (%n) — likes are not saves; off unless you want them").replace(
                    "%n", str(len(plan.liked))
                )
            )
            liked.setData(LIKED_ROLE, True)
            liked.setFlags(liked.flags() | Qt.ItemFlag.ItemIsUserCheckable)
            liked.setCheckState(Qt.CheckState.Unchecked)
            self.list.addItem(liked)
        self.list.setVisible(bool(collections or plan.liked))
        self.list.itemChanged.connect(self._item_changed)
        layout.addWidget(self.list, 1)

        self.rejected_label = QLabel()
        self.rejected_label.setWordWrap(True)
        if plan.rejected:
            count = len(plan.rejected)
            self.rejected_label.setText(
                (
                    self.tr("1 link is not a post and is left out.")
                    if count == 1
                    else self.tr("%n links are not posts and are left out.")
                ).replace("%n", str(count))
            )
            self.rejected_label.setToolTip(
                "\n".join(f"{r.url}: {r.reason}" for r in plan.rejected[:20])
            )
        self.rejected_label.setVisible(bool(plan.rejected))
        layout.addWidget(self.rejected_label)

        self.summary_label = QLabel()
        self.summary_label.setObjectName("importSummary")
        self.summary_label.setWordWrap(True)
        layout.addWidget(self.summary_label)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        self.buttons.accepted.connect(self.accept)
        self.buttons.rejected.connect(self.reject)
        layout.addWidget(self.buttons)
        self.resize(520, 420)
        self._update_summary()

    # ---- choosing ---------------------------------------------------------------------------
    def rows(self) -> list[QListWidgetItem]:
        return [self.list.item(i) for i in range(self.list.count())]

    def check(self, name: str | None, checked: bool = True) -> None:
        """Check a collection by name (None: the "all saved posts" row)."""
        for row in self.rows():
            if (name is None and row.data(ALL_ROLE)) or row.data(Qt.ItemDataRole.UserRole) == name:
                row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def liked_row(self) -> QListWidgetItem | None:
        return next((row for row in self.rows() if row.data(LIKED_ROLE)), None)

    def include_liked(self, checked: bool = True) -> None:
        row = self.liked_row()
        if row is not None:
            row.setCheckState(Qt.CheckState.Checked if checked else Qt.CheckState.Unchecked)

    def liked_chosen(self) -> bool:
        row = self.liked_row()
        return row is not None and row.checkState() == Qt.CheckState.Checked

    def chosen_collections(self) -> list[str] | None:
        """The checked collections; None for every saved post."""
        if self.rows()[0].checkState() == Qt.CheckState.Checked:
            return None
        return [
            row.data(Qt.ItemDataRole.UserRole)
            for row in self.rows()[1:]
            if row.checkState() == Qt.CheckState.Checked and not row.data(LIKED_ROLE)
        ]

    def chosen_links(self) -> list[PostLink]:
        """The links to queue, in the export's order (liked posts last)."""
        keys = self.chosen_keys()
        links = [link for link in self.plan.links if post_key(link) in keys]
        if self.liked_chosen():
            links += self.plan.liked
        return links

    def _item_changed(self, changed: QListWidgetItem) -> None:
        if self._updating:
            return
        self._updating = True
        try:
            if changed.checkState() == Qt.CheckState.Checked and not changed.data(LIKED_ROLE):
                every = bool(changed.data(ALL_ROLE))
                for row in self.rows():  # "all" and single collections exclude each other
                    if row is changed or row.data(LIKED_ROLE):
                        continue
                    if every or row.data(ALL_ROLE):
                        row.setCheckState(Qt.CheckState.Unchecked)
        finally:
            self._updating = False
        self._update_summary()

    def chosen_keys(self) -> set[str]:
        chosen = self.chosen_collections()
        if chosen is None:
            return set(self._all_keys)
        keys: set[str] = set()
        for name in chosen:
            keys |= self.plan.members.get(name, set()) & self._all_keys
        return keys

    def _update_summary(self) -> None:
        keys = self.chosen_keys() | (self._liked_keys if self.liked_chosen() else set())
        new = len(keys - self._queued)
        already = len(keys & self._queued)
        ok = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        if not keys:
            self.summary_label.setText(self.tr("Choose the collections to queue."))
            ok.setText(self.tr("Queue"))
            ok.setEnabled(False)
            return
        if new:
            text = (
                self.tr("1 new post to queue") if new == 1 else self.tr("%n new posts to queue")
            ).replace("%n", str(new))
            text += ", " + estimate_text(new, self.interval_s) + "."
        else:
            text = self.tr("Nothing new to queue.")
        if already:
            text += " " + (
                self.tr("1 is already in the queue.")
                if already == 1
                else self.tr("%n are already in the queue.")
            ).replace("%n", str(already))
        self.summary_label.setText(text)
        ok.setText(
            (self.tr("Queue 1 post") if new == 1 else self.tr("Queue %n posts")).replace(
                "%n", str(new)
            )
        )
        ok.setEnabled(new > 0)
