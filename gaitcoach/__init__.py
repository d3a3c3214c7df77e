"""GaitCoach core: frame sources, pose worker, model provisioning, session store, export, CLI and app entry."""

__version__ = "0.1.0"
APP_NAME = ORGANIZATION_NAME = "GaitCoach"  # Qt's application and organisation names (its data folder follows)
