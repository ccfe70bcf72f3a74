"""`python -m benchmarks [--quick] [--repeats N]`: see `benchmarks.run`."""

from benchmarks.run import main

raise SystemExit(main())
