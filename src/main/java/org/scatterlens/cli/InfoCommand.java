package org.scatterlens.cli;

import java.util.Map;
import java.util.concurrent.Callable;

import org.scatterlens.kernels.Kernels;
import org.scatterlens.kernels.Tier;
import org.scatterlens.model.DenseTower;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;

/** {@code scatterlens info}: what this build and this machine can do, and why not the rest. */
@Command(name = "info", mixinStandardHelpOptions = true,
        description = "Version, Java, ND4J backend, kernel libraries, GPUs, and which devices and engines can run here.")
public final class InfoCommand implements Callable<Integer>, DebugOption.Holder {
    @Mixin
    DebugOption debug;

    @Override
    public DebugOption debug() {
        return debug;
    }

    private static void line(String key, Object value) {
        System.out.printf("%-20s %s%n", key, value);
    }

    @Override
    public Integer call() {
        line("scatterlens", Version.current());
        line("java", System.getProperty("java.vm.vendor") + " " + System.getProperty("java.vm.name") + " "
                + System.getProperty("java.version") + ", max heap " + Runtime.getRuntime().maxMemory() / (1 << 20)
                + " MiB, " + Runtime.getRuntime().availableProcessors() + " cores");
        line("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));

        String nd4jProblem = null;
        try {
            for (Map.Entry<String, String> e : DenseTower.backendDescription().entrySet()) {
                line("nd4j " + e.getKey(), e.getValue());
            }
        } catch (RuntimeException | LinkageError e) {
            nd4jProblem = Main.oneLine(e);
            line("nd4j", "not usable: " + nd4jProblem);
        }

        System.out.println();
        for (Tier tier : new Tier[] {Tier.CPU, Tier.THRUST_OMP, Tier.CUDA}) {
            Kernels.Availability a = Kernels.probe(tier);
            String label = "kernels " + tier.id();
            if (a.libraryPath().isEmpty()) {
                line(label, "not built: " + a.reason());
                continue;
            }
            line(label, a.libraryPath());
            line("", a.buildInfo());
            if (!a.usable()) {
                line("", "cannot run here: " + a.reason());
            }
        }

        System.out.println();
        Kernels.Availability cuda = Kernels.probe(Tier.CUDA);
        if (cuda.devices().isEmpty()) {
            line("gpus", "none visible: " + (cuda.reason().isEmpty() ? "no CUDA device" : cuda.reason()));
        } else {
            for (int i = 0; i < cuda.devices().size(); i++) {
                line("gpu " + i, cuda.devices().get(i));
            }
        }

        System.out.println();
        line("device cpu", "yes");
        line("device cuda", cuda.usable() ? "kernels yes; the GPU engine comes with the CUDA issue" : "no: " + cuda.reason());
        Kernels.Availability cpu = Kernels.probe(Tier.CPU);
        line("engine fused", cpu.usable() ? "yes, on cpu (the default: the whole step in the cpu kernel library, no ND4J)"
                : "no: " + cpu.reason());
        line("engine nd4j", nd4jProblem == null ? "yes, on cpu" : "no: " + nd4jProblem);
        line("engine reference", "yes (plain Java, the oracle; slow)");
        return 0;
    }
}
