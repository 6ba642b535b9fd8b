"""The Links view's network drawing: children, entities and other teams as nodes, one cluster
(connected component, found by networkx) at a time, the clusters side by side in rows, largest
first. Each kind of entity has its own shape and a label; a possible link is dashed — nothing
rests on colour. The table beside it says the same for the keyboard and screen readers.
"""

from __future__ import annotations

import math

import networkx as nx
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QBrush,
    QPainter,
    QPainterPath,
    QPen,
    QPolygonF,
    QResizeEvent,
    QWheelEvent,
)
from PySide6.QtWidgets import QGraphicsScene, QGraphicsView, QWidget

from screening_app.domain.entities import KIND_LABELS, key_words
from screening_app.services.links import Child, Link

SHAPE_WORDS = {
    "person": "circle",
    "vehicle": "square",
    "place": "triangle",
    "phone": "diamond",
    "online_account": "hexagon",
}
SPRING_LIMIT = 6  # clusters larger than this are drawn as rings (networkx's spring layout
# piles children around a shared key, and needs SciPy from 500 nodes)
ROW_WIDTH = 2400.0


class Drawing(QGraphicsView):
    """The drawing, shrunk to fit its space (never below ``SMALLEST``, so that labels stay
    legible: a larger drawing scrolls)."""

    SMALLEST = 0.9  # labels at (nearly) their own size: a larger drawing scrolls, or zoom out

    def __init__(self, scene: QGraphicsScene, parent: QWidget | None = None) -> None:
        super().__init__(scene, parent)
        self.setRenderHint(QPainter.RenderHint.Antialiasing)

    def zoom(self, factor: float) -> None:
        """Ctrl++ / Ctrl+- / Ctrl+wheel; Ctrl+0 fits again (between a fifth and four times)."""
        now = self.transform().m11()
        if 0.2 <= now * factor <= 4.0:
            self.scale(factor, factor)

    def wheelEvent(self, event: QWheelEvent) -> None:
        if event.modifiers() & Qt.KeyboardModifier.ControlModifier:
            self.zoom(1.25 if event.angleDelta().y() > 0 else 0.8)
        else:
            super().wheelEvent(event)

    def fit(self) -> None:
        area = self.scene().itemsBoundingRect().adjusted(-20, -20, 20, 20)
        self.setSceneRect(area)
        self.resetTransform()
        width, height = self.viewport().width(), self.viewport().height()
        if area.width() > 0 and area.height() > 0:
            factor = min(1.0, width / area.width(), height / area.height())
            factor = max(factor, self.SMALLEST)
            self.scale(factor, factor)
            self.centerOn(area.center())

    def resizeEvent(self, event: QResizeEvent) -> None:
        super().resizeEvent(event)
        self.fit()


def layout(graph: nx.Graph[str]) -> dict[str, tuple[float, float]]:
    """Positions for every node: each cluster laid out on its own, the clusters placed left to
    right in rows, largest first."""
    where: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part in sorted(nx.connected_components(graph), key=lambda p: (-len(p), min(p))):
        placed = _cluster(graph.subgraph(part))
        radius = max(max(abs(px), abs(py)) for px, py in placed.values()) + 80.0
        if x > 0 and x + 2 * radius > ROW_WIDTH:
            x, y, row_height = 0.0, y + row_height + 40.0, 0.0
        for node, (px, py) in placed.items():
            where[node] = (x + radius + px, y + radius + py)
        x += 2 * radius + 40.0
        row_height = max(row_height, 2 * radius)
    return where


def _cluster(sub: nx.Graph[str]) -> dict[str, tuple[float, float]]:
    """One cluster around (0, 0): a small one by networkx's spring layout; a larger one as two
    rings — its entities inside, its children outside, each child near the entities it shares —
    so that no labelled box lies on another (a spring layout piles children around a shared
    phone or car)."""
    if len(sub) <= SPRING_LIMIT:
        placed = nx.spring_layout(sub, seed=7, scale=110.0)
        return {node: (float(px), float(py)) for node, (px, py) in placed.items()}
    entities = sorted(n for n, data in sub.nodes(data=True) if "link" in data)
    children = [n for n in sub if n not in set(entities)]
    outer = max(220.0, len(children) * 150.0 / (2 * math.pi))
    inner = max(90.0, min(outer * 0.5, len(entities) * 60.0 / (2 * math.pi) + 90.0))
    where: dict[str, tuple[float, float]] = {}
    angle_of = {}
    for i, node in enumerate(entities):
        angle_of[node] = 2 * math.pi * i / len(entities)
        where[node] = (inner * math.cos(angle_of[node]), inner * math.sin(angle_of[node]))

    def mean_angle(child: str) -> float:
        angles = [angle_of[e] for e in sub.neighbors(child) if e in angle_of]
        return math.atan2(sum(math.sin(a) for a in angles), sum(math.cos(a) for a in angles)) % (
            2 * math.pi
        )

    for i, node in enumerate(sorted(children, key=lambda c: (mean_angle(c), c))):
        angle = 2 * math.pi * i / len(children)
        where[node] = (outer * math.cos(angle), outer * math.sin(angle))
    return where


def _shape(kind: str, size: float) -> QPainterPath:
    path = QPainterPath()
    half = size / 2
    if kind == "person":
        path.addEllipse(-half, -half, size, size)
    elif kind == "vehicle":
        path.addRect(-half, -half, size, size)
    else:
        corners = {"place": 3, "phone": 4, "online_account": 6}.get(kind, 4)
        points = [
            QPointF(
                half * math.sin(2 * math.pi * i / corners),
                -half * math.cos(2 * math.pi * i / corners),
            )
            for i in range(corners)
        ]
        path.addPolygon(QPolygonF(points))
        path.closeSubpath()
    return path


def draw(scene: QGraphicsScene, shown: list[Link]) -> None:
    """Children, entities and other teams as nodes, on a cleared ``scene``."""
    scene.clear()
    graph: nx.Graph[str] = nx.Graph()
    for number, link in enumerate(shown):
        entity = f"e{number}"
        graph.add_node(entity, link=link)
        for reference in link.references:
            child = link.children.get(reference, Child(reference, ""))
            graph.add_node(child.node, name=child.name)
            graph.nodes[child.node].setdefault("references", set()).add(reference)
            graph.add_edge(entity, child.node, possible=link.strength == "possible")
        for team in link.other_teams:
            node = f"team:{team.team}"
            graph.add_node(node, name=team.words(), references=set())
            graph.add_edge(entity, node, possible=False)
    if not graph:
        scene.addText("No links in this period.")
        return
    where = layout(graph)
    pen = QPen(Qt.GlobalColor.darkGray, 1.5)
    dashed = QPen(Qt.GlobalColor.darkGray, 1.5, Qt.PenStyle.DashLine)
    for a, b, data in graph.edges(data=True):
        (x1, y1), (x2, y2) = where[a], where[b]
        scene.addLine(x1, y1, x2, y2, dashed if data["possible"] else pen)
    for node, data in graph.nodes(data=True):
        x, y = where[node]
        drawn: Link | None = data.get("link")
        if drawn is None:
            text = scene.addText(_child_label(data["name"], data["references"]))
            frame = text.boundingRect().adjusted(-4, -2, 4, 2)
            box = scene.addRect(frame, QPen(Qt.GlobalColor.black), QBrush(Qt.GlobalColor.white))
            box.setPos(x - frame.width() / 2, y - frame.height() / 2)
            text.setParentItem(box)
            continue
        item = scene.addPath(
            _shape(drawn.entity_kind, 22),
            QPen(Qt.GlobalColor.black),
            QBrush(Qt.GlobalColor.lightGray),
        )
        item.setPos(x, y)
        words = key_words(drawn.entity_kind, drawn.key)
        text = scene.addText(f"{KIND_LABELS[drawn.entity_kind]}: {words}")
        text.setPos(x - text.boundingRect().width() / 2, y + 9)  # under the shape
        under = scene.addRect(  # the label stays legible where lines cross it
            text.sceneBoundingRect().adjusted(4, 4, -4, -4),
            QPen(Qt.PenStyle.NoPen),
            QBrush(Qt.GlobalColor.white),
        )
        text.setZValue(1)
        under.setZValue(0.5)
        item.setZValue(2)  # the shape above its label's background


def children_words(link: Link) -> list[str]:
    """ "Robin Example (NTH-2026-0001)" for each screening of the link, in its order."""
    out = []
    for reference in link.references:
        name = link.children[reference].name if reference in link.children else ""
        out.append(f"{name} ({reference})" if name else reference)
    return out


def _child_label(name: str, references: set[str]) -> str:
    return "\n".join([name, *sorted(references)] if name else sorted(references))
