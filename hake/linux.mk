# hake/linux.mk: the Linux guest `make bench` compares this OS with.
# tools/linux-guest/build makes build/linux-guest/vmlinuz and initrd.img
# from Debian packages (the kernel .deb by apt-get download, busybox-static,
# echod built with the host's gcc -static); it is quiet when up to date.
.PHONY: linux-guest

linux-guest:
	@tools/linux-guest/build $(BUILD)/linux-guest
