"""One module per ``drifttui`` subcommand: ``register(subparsers)`` and ``run(args)``."""
