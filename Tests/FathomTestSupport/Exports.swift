// The fault-injecting test server and the conformance kit moved to the FathomTesting library (a product plugin
// packages use too); the repository's tests keep importing FathomTestSupport.
@_exported import FathomTesting
