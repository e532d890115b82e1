package org.scatterlens.train;

import java.util.ArrayList;
import java.util.List;

import org.scatterlens.kernels.NativeBuffer;
import org.scatterlens.kernels.SparseKernels;
import org.scatterlens.kernels.SparseOptimizer;
import org.scatterlens.kernels.SparseTable;
import org.scatterlens.model.ModelConfig;
import org.scatterlens.model.ModelParameters;

/**
 * The sparse half of every engine: the user and movie tables (and per-row
 * bias tables, dim 1, when the model has biases) with their optimizer state
 * in one kernel tier's memory, the batch's row ids, and the gather and
 * updates that touch only the batch's rows.
 */
final class SparseTables implements AutoCloseable {
    private final SparseKernels kernels;
    private final ModelConfig config;
    private final int nUsers;
    private final int nItems;
    private final SparseTable users;
    private final SparseTable items;
    private final SparseTable userBias;   // null without biases
    private final SparseTable itemBias;
    private final NativeBuffer userRows;  // (maxBatch) ints
    private final NativeBuffer itemRows;
    private int batch;

    SparseTables(SparseKernels kernels, ModelConfig config, ModelParameters init, int nUsers, int nItems,
                 SparseOptimizer sparse, int maxBatch) {
        this.kernels = kernels;
        this.config = config;
        this.nUsers = nUsers;
        this.nItems = nItems;
        Acquired made = new Acquired();
        try {
            users = made.track(new SparseTable(kernels, nUsers, config.userDim(), sparse.withL2(config.l2User())));
            items = made.track(new SparseTable(kernels, nItems, config.itemDim(), sparse.withL2(config.l2Item())));
            users.load(init.userTable());
            items.load(init.itemTable());
            if (hasBiases()) {
                // Biases are not regularized: Keras's tutorial puts L2 on embeddings only.
                userBias = made.track(new SparseTable(kernels, nUsers, 1, sparse.withL2(0f)));
                itemBias = made.track(new SparseTable(kernels, nItems, 1, sparse.withL2(0f)));
                if (config.userBias()) {
                    userBias.load(init.userBias());
                }
                if (config.itemBias()) {
                    itemBias.load(init.itemBias());
                }
            } else {
                userBias = null;
                itemBias = null;
            }
            userRows = made.track(kernels.allocate(maxBatch * 4L));
            itemRows = made.track(kernels.allocate(maxBatch * 4L));
        } catch (RuntimeException e) {
            throw made.releaseAfter(e);
        }
    }

    boolean hasBiases() {
        return config.userBias() || config.itemBias();
    }

    SparseKernels kernels() {
        return kernels;
    }

    /** Copies the batch's row ids into kernel memory; later calls work on this batch. */
    void load(Batch b) {
        userRows.write(0, b.users, 0, b.size);
        itemRows.write(0, b.items, 0, b.size);
        batch = b.size;
    }

    /** out (batch, userDim + itemDim) = [user rows | movie rows]. */
    void gather(NativeBuffer out) {
        kernels.gather(users.weights(), nUsers, config.userDim(), items.weights(), nItems, config.itemDim(),
                userRows, itemRows, batch, out);
    }

    /** out (batch, 2) = [user bias | movie bias]; only with biases. */
    void gatherBiases(NativeBuffer out) {
        kernels.gather(userBias.weights(), nUsers, 1, itemBias.weights(), nItems, 1, userRows, itemRows, batch, out);
    }

    /** Steps the touched embedding rows with dL/dX (batch, userDim + itemDim). */
    void updateEmbeddings(NativeBuffer inputGradient) {
        updateUsers(inputGradient);
        updateItems(inputGradient);
    }

    /** The user half of {@link #updateEmbeddings}; touches nothing the movie half does, so the two may run at once. */
    void updateUsers(NativeBuffer inputGradient) {
        users.update(userRows, batch, inputGradient, 0, config.userDim() + config.itemDim());
    }

    /**
     * Steps user rows named by {@code rows[0, n)} with gradient rows of width userDim at {@code grads}
     * (contiguous), as user-table step {@code step} (see {@link SparseTable#update(NativeBuffer, int,
     * NativeBuffer, long, long, long)}): one step's user rows may go in several calls on disjoint rows.
     */
    void updateUserRows(NativeBuffer rows, int n, NativeBuffer grads, long step) {
        users.update(rows, n, grads, 0, config.userDim(), step);
    }

    /** The user table's optimizer steps so far. */
    long userSteps() {
        return users.steps();
    }

    /** The movie half of {@link #updateEmbeddings}. */
    void updateItems(NativeBuffer inputGradient) {
        items.update(itemRows, batch, inputGradient, config.userDim(), config.userDim() + config.itemDim());
    }

    /** Steps the touched bias rows with dL/dy (batch): a bias's gradient is the output's. */
    void updateBiases(NativeBuffer outputGradient) {
        if (config.userBias()) {
            userBias.update(userRows, batch, outputGradient, 0, 1);
        }
        if (config.itemBias()) {
            itemBias.update(itemRows, batch, outputGradient, 0, 1);
        }
    }

    float[] userTable() {
        return users.readWeights();
    }

    float[] itemTable() {
        return items.readWeights();
    }

    float[] userBiases() {
        return config.userBias() ? userBias.readWeights() : new float[0];
    }

    float[] itemBiases() {
        return config.itemBias() ? itemBias.readWeights() : new float[0];
    }

    private List<SparseTable> tables() {
        return hasBiases() ? List.of(users, items, userBias, itemBias) : List.of(users, items);
    }

    List<EngineState.TableState> saveState() {
        List<EngineState.TableState> out = new ArrayList<>();
        for (SparseTable t : tables()) {
            out.add(new EngineState.TableState(t.readState(), t.readRowSteps(), t.steps()));
        }
        return out;
    }

    /** Restores tables' weights from {@code p} and optimizer state from {@code state}. */
    void restore(ModelParameters p, List<EngineState.TableState> state) {
        List<SparseTable> tables = tables();
        if (state.size() != tables.size()) {
            throw new IllegalArgumentException("checkpoint has " + state.size() + " sparse tables, the model has " + tables.size());
        }
        users.load(p.userTable());
        items.load(p.itemTable());
        if (config.userBias()) {
            userBias.load(p.userBias());
        }
        if (config.itemBias()) {
            itemBias.load(p.itemBias());
        }
        for (int i = 0; i < tables.size(); i++) {
            EngineState.TableState s = state.get(i);
            tables.get(i).restoreState(s.slots(), s.rowSteps(), s.steps());
        }
    }

    @Override
    public void close() {
        for (SparseTable t : tables()) {
            t.close();
        }
        userRows.close();
        itemRows.close();
    }
}
