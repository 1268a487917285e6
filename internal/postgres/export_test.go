package postgres

// Remark is remark, for the tests of package postgres_test.
var Remark = remark
