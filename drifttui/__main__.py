from drifttui.cli import main

raise SystemExit(main())
