"""Reports the CPU model for bench rows (Deno may not read /proc without --allow-all)."""
import json

model = "unknown CPU"
try:
    with open("/proc/cpuinfo") as f:
        for line in f:
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
except OSError:
    pass
print(json.dumps({"cpu": model}))
