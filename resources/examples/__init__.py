"""Example graphs: ``graphstage run graphstage.resources.examples.stop_and_cleanup:graph``."""
