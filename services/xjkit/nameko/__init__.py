"""nameko adapters of the kit: the RPC entrypoint that carries domain errors, the store provider.

Only services' ``service.py`` and the gateway import this package; domain and service-layer
code never do.
"""
