"""Regenerate data/interactions.csv: a small synthetic interaction log (no real data).

120 users, 60 items with Zipf-like popularity, 3,000 click/purchase events, fixed seed.
Run: python generate_data.py
"""

from pathlib import Path

from pulumi_personalize.quickstart import write_interactions

if __name__ == "__main__":
    path = write_interactions(Path(__file__).parent / "data" / "interactions.csv")
    print(f"wrote {path}")
