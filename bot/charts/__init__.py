"""Charts: the validated spec, the renderer and its cache, the code sandbox."""
