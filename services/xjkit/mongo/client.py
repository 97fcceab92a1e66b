"""One place that opens MongoDB connections, with timeouts that fail fast."""
import pymongo


def connect(uri, app_name="xjcloud", **options):
    settings = {
        "serverSelectionTimeoutMS": 5000,
        "connectTimeoutMS": 5000,
        "socketTimeoutMS": 30000,
        "appname": app_name,
        "tz_aware": True,
    }
    settings.update(options)
    return pymongo.MongoClient(uri, **settings)


def ping(database):
    """True when the store answers; used by every service's ``ping`` RPC."""
    try:
        database.client.admin.command("ping")
        return True
    except pymongo.errors.PyMongoError:
        return False
