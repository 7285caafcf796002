#!/bin/sh
# Stand-in for Prisma's native schema engine, which cannot be downloaded on an offline machine.
# `prisma generate` only needs the variable to point at an existing file; commands that really need the engine fail clearly.
echo "native schema engine not available: migrations are applied by the bot at start (src/store/migrate.ts)" >&2
exit 1
