"""PDFs as inputs and outputs of EKOs: the LHA toy set and PDF combinations."""
