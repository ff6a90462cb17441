#!/bin/sh
# Submits the array and, once every task has ended, the merge. Run from the checkout: sh deploy/slurm/submit.sh
set -eu
mkdir -p logs
array=$(sbatch --parsable deploy/slurm/fathom.sbatch)
sbatch --dependency="afterany:${array%%;*}" deploy/slurm/merge.sbatch
echo "array job $array; the merge runs when it ends (logs/)"
