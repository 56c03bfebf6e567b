"""Painting of the status column: the status in words over a three-segment phase bar."""

from __future__ import annotations

from PySide6.QtCore import QModelIndex, QPersistentModelIndex, QRectF, QSize, Qt
from PySide6.QtGui import QColor, QPainter, QPalette
from PySide6.QtWidgets import QStyle, QStyledItemDelegate, QStyleOptionViewItem

from instarecipe_desktop.core.items import ItemStatus, PhaseStatus, QueueItem
from instarecipe_desktop.ui import formatting
from instarecipe_desktop.ui.queue_model import ItemRole

STATUS_COLOURS: dict[ItemStatus, str] = {
    ItemStatus.PENDING: "#80868b",
    ItemStatus.IN_PROGRESS: "#1a73e8",
    ItemStatus.SUCCESS: "#1e8e3e",
    ItemStatus.ERROR: "#d93025",
    ItemStatus.UNHEALTHY: "#e37400",
}

PHASE_COLOURS: dict[PhaseStatus, str] = {
    PhaseStatus.COMPLETED: STATUS_COLOURS[ItemStatus.SUCCESS],
    PhaseStatus.ERROR: STATUS_COLOURS[ItemStatus.ERROR],
    PhaseStatus.IN_PROGRESS: STATUS_COLOURS[ItemStatus.IN_PROGRESS],
    PhaseStatus.PENDING: STATUS_COLOURS[ItemStatus.PENDING],
}


def status_text(item: QueueItem) -> str:
    text = formatting.item_status_label(item)
    if item.status == ItemStatus.IN_PROGRESS:
        for phase in item.phases:
            if phase.status == PhaseStatus.IN_PROGRESS:
                return f"{text} · {phase.message or formatting.phase_label(phase.name)}"
    if item.status in (ItemStatus.ERROR, ItemStatus.UNHEALTHY) and item.error:
        return f"{text} · {item.error.message}"
    return text


class StatusDelegate(QStyledItemDelegate):
    BAR_HEIGHT = 5
    GAP = 3

    def paint(
        self,
        painter: QPainter,
        option: QStyleOptionViewItem,
        index: QModelIndex | QPersistentModelIndex,
    ) -> None:
        item = index.data(ItemRole)
        if not isinstance(item, QueueItem):
            super().paint(painter, option, index)
            return
        # only the cell's background (selection, alternate rows): initStyleOption would ask
        # the model for a dozen roles per cell, on every repaint
        widget = option.widget
        style = widget.style() if widget is not None else None
        if style is not None:
            style.drawPrimitive(
                QStyle.PrimitiveElement.PE_PanelItemViewItem, option, painter, widget
            )
        painter.save()
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = option.rect.adjusted(6, 4, -6, -4)
        selected = bool(option.state & QStyle.StateFlag.State_Selected)
        text_role = QPalette.ColorRole.HighlightedText if selected else QPalette.ColorRole.Text
        colour = QColor(STATUS_COLOURS[item.status])
        # the dot and the words
        metrics = option.fontMetrics
        text_height = metrics.height()
        text_rect = QRectF(rect.left(), rect.top(), rect.width(), text_height)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(colour)
        dot = 8
        painter.drawEllipse(QRectF(text_rect.left(), text_rect.center().y() - dot / 2, dot, dot))
        painter.setPen(option.palette.color(text_role))
        words = metrics.elidedText(
            status_text(item), Qt.TextElideMode.ElideRight, int(text_rect.width()) - dot - 6
        )
        painter.drawText(
            text_rect.adjusted(dot + 6, 0, 0, 0),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            words,
        )
        # three phase segments
        bar_top = text_rect.bottom() + 4
        segment = (rect.width() - 2 * self.GAP) / 3
        track = option.palette.color(QPalette.ColorRole.Mid)
        track.setAlpha(90)
        for position, phase in enumerate(item.phases):
            left = rect.left() + position * (segment + self.GAP)
            whole = QRectF(left, bar_top, segment, self.BAR_HEIGHT)
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(track)
            painter.drawRoundedRect(whole, 2, 2)
            fraction = {
                PhaseStatus.COMPLETED: 1.0,
                PhaseStatus.ERROR: 1.0,
                PhaseStatus.IN_PROGRESS: max(0.05, (phase.progress or 0) / 100),
                PhaseStatus.PENDING: 0.0,
            }[phase.status]
            if fraction:
                fill = QColor(PHASE_COLOURS[phase.status])
                painter.setBrush(fill)
                painter.drawRoundedRect(
                    QRectF(left, bar_top, segment * fraction, self.BAR_HEIGHT), 2, 2
                )
        painter.restore()

    def sizeHint(
        self, option: QStyleOptionViewItem, index: QModelIndex | QPersistentModelIndex
    ) -> QSize:
        height = option.fontMetrics.height() + self.BAR_HEIGHT + 14
        return QSize(220, max(height, 44))
