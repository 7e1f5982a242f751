# Starts kc-runner-cpython on a job whose kernel never returns, sends it
# SIGINT once the hello line is out, and prints how the runner ended and the
# protocol lines it wrote.
import json, signal, subprocess, sys, time

runner = subprocess.Popen(["kc-runner-cpython", sys.argv[1]], stdout=subprocess.PIPE,
                          stderr=subprocess.DEVNULL, text=True)
hello = runner.stdout.readline()
time.sleep(0.5)  # into the kernel's endless loop (not required: any moment will do)
runner.send_signal(signal.SIGINT)
try:
    rest, _ = runner.communicate(timeout=60)
except subprocess.TimeoutExpired:
    runner.kill()
    print("still running 60 s after SIGINT")
    sys.exit(1)
print("hello:", '"event":"hello"' in hello)
print("returncode:", runner.returncode)
print("after hello:", ",".join(json.loads(line)["event"] for line in rest.splitlines()) or "nothing")
