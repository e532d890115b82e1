package org.scatterlens.kernels;

import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;

import org.bytedeco.javacpp.Loader;

/**
 * Where {@link SparseKernels} come from: each tier loaded once per JVM, with
 * the reason when it cannot be.
 */
public final class Kernels {
    private static final Map<Tier, Loaded> LOADED = new EnumMap<>(Tier.class);

    /** A tier's library (null if it could not load) and why the tier cannot run ("" if it can). */
    private record Loaded(SparseKernels kernels, String reason) {
        boolean usable() {
            return kernels != null && reason.isEmpty();
        }
    }

    private Kernels() {}

    /** What {@link #probe} found for a tier. */
    public record Availability(Tier tier, boolean usable, String reason, String libraryPath, String buildInfo,
                               List<String> devices) {
        public Availability {
            devices = List.copyOf(devices);
        }
    }

    /** The plain-Java reference tier; always available. */
    public static SparseKernels java() {
        return load(Tier.JAVA);
    }

    /**
     * The kernels of {@code tier}, loaded on first use.
     *
     * @throws KernelException when the tier cannot run here, with the reason
     */
    public static SparseKernels load(Tier tier) {
        Loaded loaded = loaded(tier);
        if (!loaded.usable()) {
            throw new KernelException(tier.id() + " kernels are not available: " + loaded.reason());
        }
        return loaded.kernels();
    }

    /** Loads the tier if it can be, and says what it found either way. Never throws. */
    public static Availability probe(Tier tier) {
        Loaded loaded = loaded(tier);
        SparseKernels kernels = loaded.kernels();
        if (kernels == null) {
            return new Availability(tier, false, loaded.reason(), "", "", List.of());
        }
        String path = kernels instanceof NativeKernels n ? n.libraryPath() : "(none: plain Java)";
        return new Availability(tier, loaded.usable(), loaded.reason(), path, kernels.buildInfo(), devices(kernels));
    }

    private static List<String> devices(SparseKernels kernels) {
        List<String> out = new ArrayList<>();
        if (kernels instanceof NativeKernels n) {
            int count = n.deviceCount();
            for (int i = 0; i < count; i++) {
                out.add(n.describeDevice(i));
            }
        } else {
            out.add("name=JVM");
        }
        return out;
    }

    private static synchronized Loaded loaded(Tier tier) {
        return LOADED.computeIfAbsent(tier, Kernels::tryLoad);
    }

    private static Loaded tryLoad(Tier tier) {
        if (tier == Tier.JAVA) {
            return new Loaded(new JavaKernels(), "");
        }
        Class<?> binding = switch (tier) {
            case CPU -> CpuKernelsLib.class;
            case THRUST_OMP -> ThrustOmpKernelsLib.class;
            case CUDA -> CudaKernelsLib.class;
            case JAVA -> throw new AssertionError();
        };
        String library = "libjni" + binding.getSimpleName() + ".so";
        String platform = Loader.getPlatform();
        if (!"linux-x86_64".equals(platform)) {
            return new Loaded(null, "no native build for " + platform + " (this build has linux-x86_64)");
        }
        if (Kernels.class.getResource("linux-x86_64/" + library) == null) {
            return new Loaded(null, library + " is not in this build (" + switch (tier) {
                case CUDA -> "built without nvcc, or with -DskipCuda";
                case THRUST_OMP -> "built without Thrust headers";
                default -> "the native build did not run: mvn package builds it";
            } + ")");
        }
        NativeKernels kernels;
        try {
            kernels = new NativeKernels(tier, binding);
        } catch (LinkageError | IllegalStateException e) {
            return new Loaded(null, "could not load " + library + ": " + e);
        }
        if (tier == Tier.CUDA && kernels.deviceCount() == 0) {
            String why = kernels.deviceCountReason();
            return new Loaded(kernels, "no usable CUDA device" + (why.isEmpty() ? "" : " (" + why + ")"));
        }
        return new Loaded(kernels, "");
    }
}
