"""A screen reader's view of the app, from a separate process on the accessibility bus.

Run with Debian's ``/usr/bin/python3`` (``python3-pyatspi``), never inside the app's own Python:
what it reports is what Orca would get. Modes:

- ``tree``: every showing object of the app as JSON (role, name, description, states, extents);
- ``listen``: one JSON line per focus change or announcement, until killed.
"""

import json
import sys

import pyatspi

APP_NAME = "CSE Screening"
KEPT_STATES = {
    "focused",
    "focusable",
    "checked",
    "selected",
    "required",
    "invalid-entry",
    "editable",
    "sensitive",
    "showing",
    "expanded",
    "collapsed",
    "multi-line",
}


def _app():
    desktop = pyatspi.Registry.getDesktop(0)
    for index in range(desktop.childCount):
        app = desktop.getChildAtIndex(index)
        if app is not None and app.name == APP_NAME:
            return app
    return None


def _node(acc, depth):
    states = [pyatspi.stateToString(s) for s in acc.getState().getStates()]
    try:
        box = acc.queryComponent().getExtents(pyatspi.DESKTOP_COORDS)
        extents = [box.x, box.y, box.width, box.height]
    except NotImplementedError:
        extents = None
    try:
        text = acc.queryText()
        content = text.getText(0, min(text.characterCount, 2000))
    except NotImplementedError:
        content = None
    labels = []
    for relation in acc.getRelationSet():
        if relation.getRelationType() == pyatspi.RELATION_LABELLED_BY:
            for index in range(relation.getNTargets()):
                target = relation.getTarget(index)
                if target is not None and target.name:
                    labels.append(target.name)
    return {
        "depth": depth,
        "labelled_by": labels,
        "role": acc.getRoleName(),
        "name": acc.name or "",
        "description": acc.description or "",
        "states": sorted(s for s in states if s in KEPT_STATES),
        "extents": extents,
        "text": content,
    }


def tree():
    app = _app()
    found = []

    def walk(acc, depth):
        if len(found) > 4000:
            return
        try:
            node = _node(acc, depth)
        except Exception:  # an object gone while walking (a page being replaced)
            return
        if "showing" not in node["states"] and depth > 0:
            return
        found.append(node)
        for index in range(acc.childCount):
            try:
                child = acc.getChildAtIndex(index)
            except Exception:
                continue
            if child is not None:
                walk(child, depth + 1)

    if app is not None:
        walk(app, 0)
    print(json.dumps(found))


def listen():
    def heard(event):
        try:
            node = _node(event.source, 0)
        except Exception:
            node = {}
        record = {"type": event.type, "detail1": event.detail1, "data": str(event.any_data)}
        record.update(
            {k: node.get(k) for k in ("role", "name", "extents", "states", "labelled_by")}
        )
        print(json.dumps(record), flush=True)

    pyatspi.Registry.registerEventListener(
        heard, "object:state-changed:focused", "object:announcement"
    )
    print(json.dumps({"type": "ready"}), flush=True)
    pyatspi.Registry.start()


if __name__ == "__main__":
    {"tree": tree, "listen": listen}[sys.argv[1]]()
