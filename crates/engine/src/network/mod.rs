//! VPC network model (being written).
