System.Console.WriteLine(MoeGrains.Model.Probe.Add(1, 2));
