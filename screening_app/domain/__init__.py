"""Pure Python core: form model, expression language, answers validation and scoring.

No Qt, no SQL, no PDF. Everything here is testable with plain data.
"""
