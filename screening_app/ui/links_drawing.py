"""The Links view's network drawing: children, entities and other teams as nodes, laid out by
networkx one cluster (connected component) at a time, the clusters side by side in rows, largest
first. Each kind of entity has its own shape and a label; a possible link is dashed — nothing
rests on colour. The table beside it says the same for the keyboard and screen readers.
"""

from __future__ import annotations

import math

import networkx as nx
from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import QBrush, QPainterPath, QPen, QPolygonF
from PySide6.QtWidgets import QGraphicsScene

from screening_app.domain.entities import KIND_LABELS
from screening_app.services.links import Child, Link, OtherTeam

SHAPE_WORDS = {
    "person": "circle",
    "vehicle": "square",
    "place": "triangle",
    "phone": "diamond",
    "online_account": "hexagon",
}
SPRING_LIMIT = 400  # networkx's spring layout needs SciPy from 500 nodes: a ring beyond this
ROW_WIDTH = 2400.0


def layout(graph: nx.Graph[str]) -> dict[str, tuple[float, float]]:
    """Positions for every node: each cluster laid out on its own (a spring layout, or a ring
    for a cluster too large for one), the clusters placed left to right in rows."""
    where: dict[str, tuple[float, float]] = {}
    x = y = row_height = 0.0
    for part in sorted(nx.connected_components(graph), key=lambda p: (-len(p), min(p))):
        sub = graph.subgraph(part)
        radius = max(70.0, 60.0 * len(sub) ** 0.5)
        if len(sub) <= SPRING_LIMIT:
            placed = nx.spring_layout(sub, seed=7, scale=radius)
        else:
            placed = nx.circular_layout(sub, scale=radius)
        if x > 0 and x + 2 * radius > ROW_WIDTH:
            x, y, row_height = 0.0, y + row_height + 80.0, 0.0
        for node, (px, py) in placed.items():
            where[node] = (x + radius + float(px), y + radius + float(py))
        x += 2 * radius + 120.0
        row_height = max(row_height, 2 * radius)
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
            graph.add_node(node, name=team_words(team), references=set())
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
        text = scene.addText(f"{KIND_LABELS[drawn.entity_kind]}: {drawn.key}")
        text.setPos(x - text.boundingRect().width() / 2, y + 2)


def children_words(link: Link) -> list[str]:
    """ "Robin Example (NTH-2026-0001)" for each screening of the link, in its order."""
    out = []
    for reference in link.references:
        name = link.children[reference].name if reference in link.children else ""
        out.append(f"{name} ({reference})" if name else reference)
    return out


def team_words(team: OtherTeam) -> str:
    count = f"{team.screenings} screening" + ("s" if team.screenings != 1 else "")
    ask = f", ask {team.supervisors}" if team.supervisors else ""
    return f"Team {team.team} ({count}{ask})"


def _child_label(name: str, references: set[str]) -> str:
    return "\n".join([name, *sorted(references)] if name else sorted(references))
