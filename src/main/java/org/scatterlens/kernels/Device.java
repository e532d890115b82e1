package org.scatterlens.kernels;

import java.util.Locale;

/**
 * Where training runs: the host CPU or an NVIDIA GPU. {@link #select} turns
 * the {@code --device} flag into a device and says why.
 */
public enum Device {
    CPU(Tier.CPU),
    CUDA(Tier.CUDA);

    private final Tier kernelTier;

    Device(Tier kernelTier) {
        this.kernelTier = kernelTier;
    }

    /** The kernel tier that runs the sparse verbs on this device. */
    public Tier kernelTier() {
        return kernelTier;
    }

    public String id() {
        return name().toLowerCase(Locale.ROOT);
    }

    /** A device and the one-line reason it was chosen. */
    public record Choice(Device device, String reason) {}

    /**
     * {@code auto}: CUDA where its kernels load and a GPU is visible, else CPU;
     * {@code cpu}; {@code cuda}: an error with the reason where it cannot run.
     *
     * @throws IllegalArgumentException for another flag value, or cuda where there is none
     */
    public static Choice select(String flag) {
        String value = flag == null ? "auto" : flag.trim().toLowerCase(Locale.ROOT);
        switch (value) {
            case "cpu":
                return new Choice(CPU, "cpu (--device cpu)");
            case "cuda": {
                Kernels.Availability cuda = Kernels.probe(Tier.CUDA);
                if (!cuda.usable()) {
                    throw new IllegalArgumentException("--device cuda: " + cuda.reason()
                            + " (use --device cpu or --device auto)");
                }
                return new Choice(CUDA, "cuda (--device cuda): " + cuda.devices().get(0));
            }
            case "auto": {
                Kernels.Availability cuda = Kernels.probe(Tier.CUDA);
                if (cuda.usable()) {
                    return new Choice(CUDA, "cuda (auto): " + cuda.devices().get(0));
                }
                return new Choice(CPU, "cpu (auto: " + cuda.reason() + ")");
            }
            default:
                throw new IllegalArgumentException("--device: '" + flag + "' is not one of auto, cpu, cuda");
        }
    }
}
