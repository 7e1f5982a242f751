// throws-on-load.mjs - A module whose body throws.
throw new RangeError("no way");
