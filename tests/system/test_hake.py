"""The build keeps each folder to its half (hake/halves.mk): a user module
may not list a source from a kernel module's folder, nor a kernel module
one from a user folder, and a module's sources are sorted. Each check
runs `make -n` with one extra fragment under build/ (nothing is built)."""
import subprocess
from pathlib import Path

from conftest import TOP

FRAGMENT_DIR = TOP / "build" / "hake-check"


def make_with(fragment):
    """`make -n` with the tree's fragments and `fragment` (rules.mk text)."""
    FRAGMENT_DIR.mkdir(parents=True, exist_ok=True)
    extra = FRAGMENT_DIR / "rules.mk"
    extra.write_text(fragment)
    found = subprocess.run(["find", "kernel", "drivers", "lib", "usr", "tests", "-name", "rules.mk"],
                           cwd=TOP, capture_output=True, text=True, check=True).stdout.split()
    frags = " ".join(sorted(found) + [str(extra.relative_to(TOP))])
    return subprocess.run(["make", "-n", f"MODULE_FRAGMENTS={frags}", "all"], cwd=TOP,
                          capture_output=True, text=True, timeout=120)


def fragment(name, kind, *srcs):
    lines = "".join(f"\t{s} \\\n" for s in srcs[:-1]) + f"\t{srcs[-1]}\n"
    return (f"MODULE := {name}\nMODULE_KIND := {kind}\nMODULE_SRCS := \\\n{lines}"
            "include hake/module.mk\n")


def test_the_tree_as_it_is_builds():
    # Is the check quiet for a module that keeps to its half?
    r = make_with(fragment("halves_ok", "userlib", "lib/common/err.c"))
    assert r.returncode == 0, r.stderr


def test_user_library_listing_a_kernel_source_is_refused():
    # What if a user library takes a file of the igb driver's kernel half?
    r = make_with(fragment("halves_user", "userlib", "drivers/net/igb/pf/vfmsg.c"))
    assert r.returncode != 0
    assert "user module halves_user" in r.stderr and "drivers/net/igb/pf/vfmsg.c" in r.stderr, r.stderr


def test_kernel_module_listing_a_user_source_is_refused():
    # And a kernel module that takes the VF driver's ring code?
    r = make_with(fragment("halves_kernel", "kernel", "drivers/net/igb/vf/vfring.c"))
    assert r.returncode != 0
    assert "kernel module halves_kernel" in r.stderr and "drivers/net/igb/vf/vfring.c" in r.stderr, \
        r.stderr


def test_unsorted_sources_are_refused():
    # Are source lists kept sorted, one a line?
    r = make_with(fragment("halves_sort", "userlib", "lib/common/fmt.c", "lib/common/err.c"))
    assert r.returncode != 0
    assert "MODULE_SRCS must be sorted" in r.stderr, r.stderr
