# Entry points only; the machinery lives in hake/.
#   make            build the kernel and the bootable ISO
#   make run        install what is missing, build, boot the demo in QEMU
#   make test       install, build, run every test (unit, then system)
#   make bench      run the benchmarks: this OS alone, then against a Linux guest
#   make fuzz       capfuzz on every core, 1,000,000 invocations, random seeds
#   make debug      boot halted with a gdb stub; see README
#   make iso        build build/arrakis.iso
#   make deps       install missing packages (apt)
#   make clean      remove build/
include hake/main.mk
