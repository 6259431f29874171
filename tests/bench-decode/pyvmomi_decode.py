"""pyVmomi's deserializer on saved RetrievePropertiesEx / ContinueRetrievePropertiesEx response
bodies, for `cargo xtask bench-decode`: SoapResponseDeserializer, the class pyVmomi's
SoapStubAdapter.InvokeMethod decodes every response with, with the result type
vmodl.query.PropertyCollector.RetrieveResult and the default namespace urn:vim25, as
InvokeMethod passes them. The stub (needed for references) talks API 6.5, vcsim's version; it
never connects.

    python pyvmomi_decode.py speed RUNS FILE...   time RUNS decodes of all the bodies (in memory)
    python pyvmomi_decode.py memory FILE...       read, decode and keep each page; peak RSS growth

Prints one line: `RESULT key=value ...`.
"""

import sys
import time

from pyVmomi import SoapAdapter, VmomiSupport


def status(field):
    with open("/proc/self/status") as f:
        for line in f:
            if line.startswith(field + ":"):
                return int(line.split()[1])
    raise SystemExit(f"pyvmomi_decode: no {field} in /proc/self/status")


def main(argv):
    if len(argv) < 3 or argv[1] not in ("speed", "memory"):
        raise SystemExit("usage: pyvmomi_decode.py speed RUNS FILE... | memory FILE...")
    stub = SoapAdapter.SoapStubAdapter(host="127.0.0.1", port=-1, version="vim.version.version11")
    result_type = VmomiSupport.GetVmodlType("vmodl.query.PropertyCollector.RetrieveResult")

    def decode(body):
        result = SoapAdapter.SoapResponseDeserializer(stub).Deserialize(body, result_type, {"": "urn:vim25"})
        if not isinstance(result, result_type):
            raise SystemExit(f"pyvmomi_decode: decoded {type(result).__name__}, not a RetrieveResult")
        return result

    if argv[1] == "speed":
        runs = int(argv[2])
        bodies = []
        for name in argv[3:]:
            with open(name, "rb") as f:
                bodies.append(f.read())
        times = []
        objects = 0
        for _ in range(runs):
            objects = 0
            start = time.perf_counter()
            for body in bodies:
                objects += len(decode(body).objects)
            times.append(time.perf_counter() - start)
        times.sort()
        total = sum(len(b) for b in bodies)
        print(f"RESULT bytes={total} objects={objects} runs={runs} best={times[0]:.6f} median={times[len(times) // 2]:.6f}")
    else:
        # The peak is reset to the current RSS, then each page is read, decoded and kept.
        with open("/proc/self/clear_refs", "w") as f:
            f.write("5")
        base = status("VmRSS")
        kept = []
        total = objects = 0
        for name in argv[2:]:
            with open(name, "rb") as f:
                body = f.read()
            total += len(body)
            result = decode(body)
            del body
            objects += len(result.objects)
            kept.append(result)
        peak = status("VmHWM")
        print(f"RESULT bytes={total} objects={objects} pages={len(kept)} base_kb={base} peak_kb={peak}")


if __name__ == "__main__":
    main(sys.argv)
