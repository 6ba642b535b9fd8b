"""The screening form widget.

Public API: ``FormView(form, sink, answers=..., page=..., today=..., read_only=...)`` with
``answers()``, ``current_page()``, ``go_to(page, question)``, ``show_problems(problems)``,
``flush()``; signals ``submit_requested(dict)``,
``discard_requested``. ``AnswerSink`` is what it saves through. ``ScorePanel`` stands alone too.
"""
