"""Drawing shared by the styles: rectangles and fixed point, the tool sprites and laying a
tool on the canvas, the hand that holds it and the timed path it follows."""
