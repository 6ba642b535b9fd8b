"""Checks that every control a person can use has a name a screen reader can say."""

from __future__ import annotations

from PySide6.QtGui import QAccessible
from PySide6.QtWidgets import (
    QAbstractButton,
    QAbstractItemView,
    QAbstractSpinBox,
    QComboBox,
    QLineEdit,
    QPlainTextEdit,
    QTextEdit,
    QWidget,
)

INTERACTIVE = (
    QAbstractButton,
    QLineEdit,
    QComboBox,
    QPlainTextEdit,
    QTextEdit,
    QAbstractItemView,
    QAbstractSpinBox,
)


def accessible_name(widget: QWidget) -> str:
    """The name assistive technology gets (explicit, or derived by Qt from text/buddy)."""
    interface = QAccessible.queryAccessibleInterface(widget)
    name = interface.text(QAccessible.Text.Name) if interface is not None else ""
    return (name or widget.accessibleName()).strip()


def missing_accessible_names(root: QWidget) -> list[str]:
    """Descriptions of interactive widgets under ``root`` with no accessible name.

    Only widgets a person can reach now count (hidden popups of combo boxes, for example, are
    named by the combo box itself).
    """
    missing = []
    for widget in [root, *root.findChildren(QWidget)]:
        if not widget.isVisibleTo(root) and widget is not root:
            continue
        if widget.objectName() == "qt_spinbox_lineedit":
            continue  # the editor inside a spin/date box: the box's own name is what is read
        if isinstance(widget, INTERACTIVE) and not accessible_name(widget):
            missing.append(f"{type(widget).__name__} {widget.objectName()!r}")
    return missing
