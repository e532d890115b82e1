package org.scatterlens.model;

import java.util.LinkedHashMap;
import java.util.Map;

import org.nd4j.linalg.factory.Nd4j;

/**
 * The dense layers of a rating model on ND4J. One of the few classes that
 * see ND4J types (DESIGN.md).
 */
public final class DenseTower {
    private DenseTower() {}

    /** ND4J's backend, BLAS and threads as ND4J reports them; loads ND4J (about a second). */
    public static Map<String, String> backendDescription() {
        Map<String, String> out = new LinkedHashMap<>();
        java.util.Properties env = Nd4j.getExecutioner().getEnvironmentInformation();
        out.put("backend", Nd4j.getBackend().getClass().getSimpleName() + " (" + env.get("backend") + ")");
        out.put("blas", String.valueOf(env.get("blas.vendor")) + ", " + env.get("blas.threads") + " threads");
        out.put("omp threads", String.valueOf(env.get("omp.threads")));
        return out;
    }
}
