"""Drawing shared by the styles: rectangles and fixed point, the tool sprites and laying a
tool on the canvas."""
