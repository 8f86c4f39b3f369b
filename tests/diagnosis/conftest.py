import sys
from pathlib import Path

# the tiny Dataset builders of the model tests
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "models"))
