#!/usr/bin/env bash
# Regenerate the transcribed N-space (and x-space test reference) modules from the authors' files.
# Usage: tools/regenerate_nspace.sh DIR, DIR holding dPij012MN.h, dPij012Mx.h, amv1res.h and
# tlike-ns.h of svenolafmoch/Conformal-EIC:NNLO_Splitting_Functions_in_pertubative_QCD/
# (MD5 sums in that folder's README.md).
set -euo pipefail
src=${1:?folder with the authors\' files}
cd "$(dirname "$0")/.."
py=${PYTHON:-python}
ad=ekodask/physics/anomalous_dimensions
$py tools/form_to_python.py "$src/dPij012MN.h" \
  dPqq0=p_qq0 dPqg0=p_qg0 dPgq0=p_gq0 dPgg0=p_gg0 \
  dPns1M=p_ns1 dPps1M=p_ps1 dPqq1M=p_qq1 dPqg1M=p_qg1 dPgq1M=p_gq1 dPgg1M=p_gg1 \
  dPns2M=p_ns2 dPps2M=p_ps2 dPqq2M=p_qq2 dPqg2M=p_qg2 dPgq2M=p_gq2 dPgg2M=p_gg2 \
  > $ad/polarized/_mvv_nspace.py
$py tools/form_to_python.py "$src/amv1res.h" \
  gTqq0=g_qq0 gTqg0=g_qg0 gTgq0=g_gq0 gTgg0=g_gg0 \
  gTqq1=g_nsp1 gTqq1m=g_nsm1 gTqqps1=g_ps1 gTqg1=g_qg1 gTgq1=g_gq1 gTgg1=g_gg1 \
  gTqq2=g_nsp2 gTqq2m=g_nsm2 gTqqps2=g_ps2 gTqg2=g_qg2 gTgq2=g_gq2 gTgg2=g_gg2 \
  > $ad/time_like/_amv_nspace.py
$py tools/form_to_python.py --x "$src/dPij012Mx.h" \
  dPqq0x=dp_qq0 dPqg0x=dp_qg0 dPgq0x=dp_gq0 dPgg0x=dp_gg0 \
  dPns1Mx=dp_ns1 dPps1Mx=dp_ps1 dPqg1Mx=dp_qg1 dPgq1Mx=dp_gq1 dPgg1Mx=dp_gg1 \
  > tests/physics/xspace_polarized_nlo.py
{
  $py tools/form_to_python.py --x "$src/amv1res.h" \
    PTqq0=pt_qq0 PTqg0=pt_qg0 PTgq0=pt_gq0 PTgg0=pt_gg0 \
    PTqq1=pt_nsp1 PTqq1m=pt_nsm1 PTqqps1=pt_ps1 PTqg1=pt_qg1 PTgq1=pt_gq1 PTgg1=pt_gg1
  $py tools/form_to_python.py --x "$src/tlike-ns.h" diffP1ns=diff_ns1 \
    | sed '1s/.*/# and by the same tool from tlike-ns.h/'
} > tests/physics/xspace_time_like_nlo.py
