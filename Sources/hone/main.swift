@main struct Hone { static func main() {} }
