"""Crisis detection's learned layer: stable hashed features and a linear model read with numpy."""
