package org.scatterlens.cli;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;

import org.scatterlens.kernels.Device;

/** Run directories (runs/<timestamp>, runs/latest) and the device a training run uses. */
final class RunDirs {
    private RunDirs() {}

    /** A fresh runs/yyyyMMdd-HHmmss[-n] under {@code root}. */
    static Path newRunDir(Path root) throws IOException {
        Files.createDirectories(root);
        String stamp = TrainCommand.timestamp();
        Path dir = root.resolve(stamp);
        for (int n = 2; Files.exists(dir); n++) {
            dir = root.resolve(stamp + "-" + n);
        }
        return Files.createDirectories(dir);
    }

    /** Points runDir's sibling "latest" at it, atomically (a new link renamed over the old one). */
    static void linkLatest(Path runDir) throws IOException {
        Path parent = runDir.toAbsolutePath().getParent();
        Path latest = parent.resolve("latest");
        Path tmp = parent.resolve(".latest." + ProcessHandle.current().pid());
        Files.deleteIfExists(tmp);
        Files.createSymbolicLink(tmp, runDir.toAbsolutePath().getFileName());
        try {
            Files.move(tmp, latest, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, latest, StandardCopyOption.REPLACE_EXISTING);
        }
    }

    /**
     * The device for training. This build trains on the CPU: the GPU engine
     * (ND4J's CUDA backend, the fused engine) is the CUDA issue's. So auto
     * picks the CPU and says why, and cuda is an error naming what is missing.
     */
    static Device.Choice trainingDevice(String flag) {
        Device.Choice kernels = Device.select(flag);
        if (kernels.device() == Device.CPU) {
            return kernels;
        }
        String why = "this build's training engines run on the CPU only (the CUDA kernels load, "
                + "but the GPU engine is not built yet)";
        if ("auto".equalsIgnoreCase(flag.trim())) {
            return new Device.Choice(Device.CPU, "cpu (auto: " + why + ")");
        }
        throw new IllegalArgumentException("--device cuda: " + why + "; use --device cpu or auto");
    }
}
