"""The team server's routes, one module per resource (each a FastAPI ``APIRouter``)."""
