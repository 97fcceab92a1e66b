"""The gateway's Blueprint: flask-smorest's, with the strict JSON parser (``gateway.bodies``).

Every resource module builds its blueprint from this class, so no route can parse a body more
leniently than the rest."""
import flask_smorest

from gateway.bodies import StrictJSONParser


class Blueprint(flask_smorest.Blueprint):
    ARGUMENTS_PARSER = StrictJSONParser()
